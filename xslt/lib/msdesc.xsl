<?xml version="1.0" encoding="UTF-8"?>
<!--
  Manuscript descriptions (msDesc, EpiDoc object descriptions), the part both outputs share:
  which element is a section, a group or a field, the labels (in the site's language), and the
  text of elements that say what they say in attributes (an empty locus, dimensions, measure,
  textLang, origDate). xslt/html/pages/msdesc.xsl and xslt/pdf/msdesc.xsl lay it out; the
  content of every field goes through the outputs' ordinary text templates.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- Parts with a heading of their own. -->
  <xsl:variable name="fp:ms-sections" as="xs:string+"
    select="('msContents', 'physDesc', 'history', 'additional', 'msPart', 'msFrag')"/>
  <!-- Containers whose children are shown one row each (the container itself has no row):
       their own p/ab/summary rows take the container's label. -->
  <xsl:variable name="fp:ms-groups" as="xs:string+"
    select="('objectDesc', 'supportDesc', 'layoutDesc', 'handDesc', 'scriptDesc', 'typeDesc',
             'decoDesc', 'bindingDesc', 'sealDesc', 'musicNotation', 'adminInfo', 'recordHist',
             'custodialHist', 'origin', 'msWriting')"/>
  <!-- Children that are blocks of a field's content (a field holding only these is shown as
       blocks, not as a run of text). -->
  <xsl:variable name="fp:ms-blocks" as="xs:string+"
    select="('p', 'ab', 'list', 'listBibl', 'table', 'lg', 'quote', 'summary', 'listPerson',
             'listPlace', 'listOrg', 'listEvent')"/>

  <!-- Labels in the interface language (message catalogues, keys "ms." + an element's name,
       "name:type" or a word: f:msg, xslt/lib/messages.xsl), English when the language has no
       entry; an element without any label is named by its own name ("accMat" → "Acc mat"). -->
  <!-- The label of a key (an element's name, "name:type", or a word of the table). -->
  <xsl:function name="f:ms-label" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="(f:msg-opt('ms.' || $key), fp:name-words($key))[1]"/>
  </xsl:function>
  <!-- "accMat" → "Acc mat", "provenance:sold" → "Sold" -->
  <xsl:function name="fp:name-words" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="name" select="if (contains($key, ':')) then substring-after($key, ':') else $key"/>
    <xsl:variable name="words" select="lower-case(replace(replace($name, '([a-z])([A-Z])', '$1 $2'), '[-_]+', ' '))"/>
    <xsl:sequence select="concat(upper-case(substring($words, 1, 1)), substring($words, 2))"/>
  </xsl:function>

  <!-- An element's label: by name and @type where the table has the pair, else by name. -->
  <xsl:function name="f:ms-element-label" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="typed" select="concat(local-name($e), ':', normalize-space($e/@type))"/>
    <xsl:sequence select="if ($e/@type and exists(f:msg-opt('ms.' || $typed)))
      then f:ms-label($typed)
      (: an identifier other than the shelfmark: 'Identifier (ieArk)' :)
      else if ($e/self::tei:idno and normalize-space($e/@type) and not(lower-case($e/@type) = 'shelfmark'))
      then concat(f:ms-label('msIdentifier'), ' (', normalize-space($e/@type), ')')
      else f:ms-label(local-name($e))"/>
  </xsl:function>

  <!-- How an element of a description is shown: 'section' (headed part), 'items' (msItem),
       'group' (its children are rows), 'block' (a p or ab: shown as it stands), 'field' (a row:
       label and content), 'none' (white space only and no information in attributes). -->
  <xsl:function name="f:ms-role" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="n" select="local-name($e)"/>
    <xsl:sequence select="
      if ($n = $fp:ms-sections) then 'section'
      else if ($n = ('msItem', 'msItemStruct')) then 'items'
      else if (not(normalize-space($e)) and empty($e/descendant-or-self::*[exists(f:ms-computed(.))]) and empty($e//tei:graphic | $e//tei:ptr | $e//tei:ref[@target])
               and empty(f:ms-attribute-rows($e))) then 'none'
      else if ($n = $fp:ms-groups and not($e/text()[normalize-space()])) then 'group'
      else if ($n = ('p', 'ab')) then 'block'
      else 'field'"/>
  </xsl:function>

  <!-- Information some elements give in attributes, as (label, value) pairs: the object's form,
       the support's material. -->
  <xsl:function name="f:ms-attribute-rows" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:if test="$e/self::tei:objectDesc and normalize-space($e/@form)">
      <xsl:sequence select="(f:ms-label('form'), normalize-space($e/@form))"/>
    </xsl:if>
    <xsl:if test="$e/self::tei:supportDesc and normalize-space($e/@material)">
      <xsl:variable name="m" select="normalize-space($e/@material)"/>
      <xsl:sequence select="(f:ms-label('material'), (f:ms-label-or-empty(concat('material:', $m)), $m)[1])"/>
    </xsl:if>
  </xsl:function>
  <xsl:function name="f:ms-label-or-empty" as="xs:string?">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="f:msg-opt('ms.' || $key)"/>
  </xsl:function>

  <!-- The text of an element that says what it says in attributes (() for any other: its
       content is shown): an empty locus ("1r–56v"), dimensions ("7.25 × 5 in", "height 4–5 cm"),
       an empty measure ("1 leaf"), an empty textLang (its languages' names), an empty date or
       origDate (f:date-element-label), an empty layout (columns, lines). -->
  <xsl:function name="f:ms-computed" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="empty" select="not(normalize-space($e))"/>
    <xsl:choose>
      <xsl:when test="$e/self::tei:dimensions or $e/self::tei:height or $e/self::tei:width or $e/self::tei:depth or $e/self::tei:dim">
        <xsl:sequence select="fp:dimensions($e)[. != '']"/>
      </xsl:when>
      <xsl:when test="not($empty)"/>
      <xsl:when test="$e/self::tei:locus or $e/self::tei:locusGrp">
        <xsl:sequence select="string-join(($e/descendant-or-self::tei:locus ! string-join((normalize-space(@from), normalize-space(@to))[. != ''], '–'))[. != ''], ', ')[. != '']"/>
      </xsl:when>
      <xsl:when test="$e/self::tei:measure or $e/self::tei:num">
        <xsl:sequence select="string-join((normalize-space($e/@quantity), normalize-space($e/@value), normalize-space(($e/@unit, $e/@commodity)[1]))[. != ''], ' ')[. != '']"/>
      </xsl:when>
      <xsl:when test="$e/self::tei:textLang">
        <xsl:sequence select="string-join(for $l in tokenize(normalize-space(string-join(($e/@mainLang, $e/@otherLangs), ' ')))
                                          return fp:ms-language($l), ', ')[. != '']"/>
      </xsl:when>
      <xsl:when test="$e/self::tei:date or $e/self::tei:origDate">
        <xsl:sequence select="f:date-element-label($e)[. != '']"/>
      </xsl:when>
      <xsl:when test="$e/self::tei:layout"><xsl:sequence select="f:ms-attribute-text($e)"/></xsl:when>
    </xsl:choose>
  </xsl:function>

  <!-- What a layout says in attributes ("2 columns, 31 written lines"): its text when it has no
       other, else added after its text in brackets. -->
  <xsl:function name="f:ms-attribute-text" as="xs:string?">
    <xsl:param name="e" as="element()"/>
    <xsl:if test="$e/self::tei:layout">
      <xsl:sequence select="string-join(for $a in ($e/@columns, $e/@writtenLines, $e/@ruledLines)[normalize-space() and not(normalize-space() = '0')]
                                        return concat(normalize-space($a), ' ', f:ms-label(local-name($a))), ', ')[. != '']"/>
    </xsl:if>
  </xsl:function>

  <xsl:function name="fp:ms-language" as="xs:string">
    <xsl:param name="code" as="xs:string"/>
    <xsl:variable name="primary" select="lower-case(tokenize($code, '-')[1])"/>
    <xsl:sequence select="if (map:contains($c:language-names, $primary)) then f:language-name($primary) else $code"/>
  </xsl:function>

  <!-- "7.25 × 5 in"; "4–5 cm" (atLeast/atMost); a dimension with text of its own: that text. -->
  <xsl:function name="fp:dimensions" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="parts" select="$e/(tei:height | tei:width | tei:depth | tei:dim | tei:dimensions)"/>
    <xsl:variable name="unit" select="normalize-space($e/@unit)"/>
    <xsl:variable name="own" select="fp:extent-value($e)"/>
    <xsl:sequence select="if (exists($parts))
      then string-join((string-join($parts/fp:dimensions(.)[. != ''], ' × '), if ($parts/@unit) then () else $unit)[. != ''], ' ')
      else if ($own != '') then string-join((if ($e/self::tei:dimensions and normalize-space($e/@extent)) then normalize-space($e/@extent) else (),
                                              $own, $unit)[. != ''], ' ')
      else ''"/>
  </xsl:function>
  <xsl:function name="fp:extent-value" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="if (normalize-space($e)) then normalize-space($e)
      else if (normalize-space($e/@quantity)) then normalize-space($e/@quantity)
      else string-join((normalize-space($e/@atLeast), normalize-space($e/@atMost))[. != ''], '–')"/>
  </xsl:function>

  <!-- The heading of a description: place, repository, collection, shelfmark (the first idno),
       else its name, else the identifiers of its parts. -->
  <xsl:function name="f:ms-heading" as="xs:string">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="id" select="$ms/tei:msIdentifier"/>
    <xsl:sequence select="string-join(($id/tei:settlement, $id/tei:repository, $id/tei:collection, $id/tei:idno[1],
                                        $id/tei:msName[1][empty($id/tei:idno)])/normalize-space()[. != ''], ', ')"/>
  </xsl:function>

  <!-- The parts of an identifier not already in its heading, as rows. -->
  <xsl:function name="f:ms-identifier-rest" as="element()*">
    <xsl:param name="ms" as="element()"/>
    <xsl:variable name="id" select="$ms/tei:msIdentifier"/>
    <xsl:sequence select="$id/* except ($id/tei:settlement, $id/tei:repository, $id/tei:collection, $id/tei:idno[1],
                                         $id/tei:msName[1][empty($id/tei:idno)])"/>
  </xsl:function>

  <!-- Whether a description says more than its identifier (which "Document information" shows
       already). -->
  <xsl:function name="f:ms-has-more" as="xs:boolean">
    <xsl:param name="ms" as="element()"/>
    <xsl:sequence select="exists($ms/(* except tei:msIdentifier)[f:ms-role(.) != 'none'])
                          or exists($ms/tei:msIdentifier/(tei:altIdentifier | tei:msName | tei:region)[normalize-space()])"/>
  </xsl:function>
</xsl:stylesheet>
