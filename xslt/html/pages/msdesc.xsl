<?xml version="1.0" encoding="UTF-8"?>
<!--
  The "Manuscript description" section of a document page: every msDesc of the sourceDesc (and
  an msDesc met inside the text), in full — identifier, contents (msItem as nested ordered
  lists), physical description, history, additional information, parts and fragments
  recursively. Sections are headed, fields are rows of definition lists; what a field holds goes
  through the ordinary text templates (mode m:text: names link, hi, refs, and the fallback keeps
  unknown elements' content). Which element is what, the labels and the text of attribute-only
  elements: xslt/lib/msdesc.xsl (shared with the PDF).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <xsl:include href="../../lib/msdesc.xsl"/>

  <!-- The section, after the text (document.xsl calls it once). -->
  <xsl:template name="f:ms-descriptions">
    <xsl:param name="header" as="element()?"/>
    <xsl:variable name="ms" select="$header/tei:fileDesc/tei:sourceDesc//tei:msDesc[not(ancestor::tei:msDesc)][f:ms-has-more(.)]"/>
    <xsl:if test="exists($ms)">
      <section class="ms-descriptions" id="ms-description" aria-labelledby="ms-description-heading">
        <h2 id="ms-description-heading"><xsl:value-of select="f:ms-label(if (count($ms) gt 1) then 'msDesc+' else 'msDesc')"/></h2>
        <xsl:apply-templates select="$ms" mode="m:msdesc">
          <xsl:with-param name="level" select="3"/>
        </xsl:apply-templates>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- An msDesc inside the text (EpiDoc puts object descriptions there too): the same layout. -->
  <xsl:template match="tei:msDesc[not(ancestor::tei:msDesc)]" mode="m:text" priority="5">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline"><xsl:next-match/></xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="m:msdesc">
          <xsl:with-param name="level" select="min((6, 3 + count(ancestor::tei:div)))"/>
        </xsl:apply-templates>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A description, a part or a fragment: its heading, its identifier's other parts, then its
       sections in the order given. -->
  <xsl:template match="tei:msDesc | tei:msPart | tei:msFrag" mode="m:msdesc">
    <xsl:param name="level" as="xs:integer"/>
    <xsl:variable name="heading" select="f:ms-heading(.)"/>
    <div class="ms-desc ms-{local-name()}">
      <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:element name="h{min((6, $level))}">
        <xsl:attribute name="class" select="'ms-heading'"/>
        <xsl:value-of select="string-join((if (self::tei:msDesc) then () else string-join((f:ms-label(local-name()), normalize-space(@n)[. != '']), ' '),
                                           $heading[. != '']), ': ')"/>
        <xsl:if test="self::tei:msDesc and $heading = ''"><xsl:value-of select="f:ms-label('msDesc')"/></xsl:if>
      </xsl:element>
      <xsl:call-template name="fp:ms-content">
        <xsl:with-param name="nodes" select="f:ms-identifier-rest(.), * except tei:msIdentifier"/>
        <xsl:with-param name="level" select="$level + 1"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <!-- A headed section (msContents, physDesc, history, additional). -->
  <xsl:template match="*" mode="m:msdesc">
    <xsl:param name="level" as="xs:integer"/>
    <section class="ms-section ms-{local-name()}">
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:element name="h{min((6, $level))}">
        <xsl:value-of select="f:ms-label(local-name())"/>
      </xsl:element>
      <xsl:call-template name="fp:ms-content">
        <xsl:with-param name="nodes" select="*"/>
        <xsl:with-param name="level" select="$level + 1"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- Children of a description, section, group or item: rows gathered into definition lists,
       items into ordered lists, sections and blocks as they come. -->
  <xsl:template name="fp:ms-content">
    <xsl:param name="nodes" as="element()*"/>
    <xsl:param name="level" as="xs:integer"/>
    <xsl:variable name="parts" as="element()*">
      <xsl:apply-templates select="$nodes" mode="fp:ms-part">
        <xsl:with-param name="level" select="$level"/>
      </xsl:apply-templates>
    </xsl:variable>
    <xsl:for-each-group select="$parts" group-adjacent="if (self::div[@data-ms-row]) then 'row' else if (self::li) then 'item' else 'other'">
      <xsl:choose>
        <xsl:when test="current-grouping-key() = 'row'">
          <dl class="ms-fields">
            <xsl:for-each select="current-group()">
              <div class="{@class}"><xsl:sequence select="node()"/></div>
            </xsl:for-each>
          </dl>
        </xsl:when>
        <xsl:when test="current-grouping-key() = 'item'">
          <ol class="ms-items"><xsl:sequence select="current-group()"/></ol>
        </xsl:when>
        <xsl:otherwise><xsl:sequence select="current-group()"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template match="*" mode="fp:ms-part">
    <xsl:param name="level" as="xs:integer"/>
    <xsl:variable name="role" select="f:ms-role(.)"/>
    <xsl:choose>
      <xsl:when test="$role = 'none'"/>
      <xsl:when test="$role = 'section'">
        <xsl:apply-templates select="." mode="m:msdesc">
          <xsl:with-param name="level" select="$level"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$role = 'items'">
        <li class="ms-item">
          <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
          <xsl:call-template name="fp:lang-attributes"/>
          <xsl:if test="normalize-space(@n)"><span class="ms-item-n"><xsl:value-of select="normalize-space(@n)"/>. </span></xsl:if>
          <xsl:call-template name="fp:ms-content">
            <xsl:with-param name="nodes" select="*"/>
            <xsl:with-param name="level" select="$level"/>
          </xsl:call-template>
        </li>
      </xsl:when>
      <xsl:when test="$role = 'group'">
        <xsl:variable name="attrs" select="f:ms-attribute-rows(.)"/>
        <xsl:for-each select="1 to count($attrs) idiv 2">
          <xsl:call-template name="fp:ms-row">
            <xsl:with-param name="label" select="$attrs[2 * current() - 1]"/>
            <xsl:with-param name="value" select="$attrs[2 * current()]"/>
            <xsl:with-param name="class" select="'attribute'"/>
          </xsl:call-template>
        </xsl:for-each>
        <xsl:apply-templates select="*" mode="fp:ms-part">
          <xsl:with-param name="level" select="$level"/>
        </xsl:apply-templates>
      </xsl:when>
      <!-- a p or ab of a description, section or item stands as it is; of a group (bindingDesc/p)
           it is the group's row -->
      <xsl:when test="$role = 'block' and (parent::tei:msDesc or parent::tei:msPart or parent::tei:msFrag
                      or parent::tei:msItem or parent::tei:msItemStruct or local-name(..) = $fp:ms-sections)">
        <div class="ms-block"><xsl:apply-templates select="." mode="m:text"/></div>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="fp:ms-row">
          <xsl:with-param name="label" select="if ($role = 'block') then f:ms-element-label(..) else f:ms-element-label(.)"/>
          <xsl:with-param name="value" select="fp:ms-value(.)"/>
          <xsl:with-param name="class" select="local-name()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A row (gathered into a dl by fp:ms-content); the trailing spaces keep label and value
       apart in the search index. -->
  <xsl:template name="fp:ms-row">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="item()*"/>
    <xsl:param name="class" as="xs:string"/>
    <div class="ms-row ms-{$class}" data-ms-row="">
      <dt><xsl:value-of select="$label"/><xsl:text> </xsl:text></dt>
      <dd><xsl:sequence select="$value"/><xsl:text> </xsl:text></dd>
    </div>
  </xsl:template>

  <!-- What a field holds: the text of an attribute-only element; blocks as blocks; element-only
       phrases one after another ("; "); else its content as a run of text. A name element keeps
       its link (it is rendered itself, not only its content). -->
  <xsl:function name="fp:ms-value" as="node()*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="computed" select="f:ms-computed($e)"/>
    <xsl:variable name="kids" select="$e/*[normalize-space() or f:ms-computed(.) or .//tei:graphic or @target]"/>
    <xsl:call-template name="fp:ms-value-content">
      <xsl:with-param name="e" select="$e"/>
      <xsl:with-param name="computed" select="$computed"/>
      <xsl:with-param name="kids" select="$kids"/>
    </xsl:call-template>
    <xsl:if test="empty($computed) and exists(f:ms-attribute-text($e))"> (<xsl:value-of select="f:ms-attribute-text($e)"/>)</xsl:if>
  </xsl:function>
  <xsl:template name="fp:ms-value-content">
    <xsl:param name="e" as="element()"/>
    <xsl:param name="computed" as="xs:string?"/>
    <xsl:param name="kids" as="element()*"/>
    <xsl:choose>
      <xsl:when test="exists($computed)"><xsl:value-of select="$computed"/></xsl:when>
      <xsl:when test="exists($e/(@ref | @key)) and local-name($e) = ('persName', 'placeName', 'orgName', 'name', 'rs', 'title', 'bibl', 'settlement', 'country', 'region', 'geogName')">
        <xsl:apply-templates select="$e" mode="m:text">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$e/text()[normalize-space()]">
        <xsl:apply-templates select="$e/node()" mode="m:text">
          <xsl:with-param name="inline" tunnel="yes" select="true()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="exists($kids) and (every $k in $kids satisfies local-name($k) = $fp:ms-blocks)">
        <xsl:apply-templates select="$kids" mode="m:text">
          <xsl:with-param name="inline" tunnel="yes" select="false()"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$kids">
          <xsl:if test="position() gt 1">; </xsl:if>
          <xsl:apply-templates select="." mode="m:text">
            <xsl:with-param name="inline" tunnel="yes" select="true()"/>
          </xsl:apply-templates>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Inside a description, elements that say what they say in attributes print that text
       (f:ms-computed); a note stays where it is, in brackets (the page's note list holds the
       text's notes only). -->
  <xsl:template match="tei:msDesc//*[exists(f:ms-computed(.))]" mode="m:text" priority="4">
    <span class="tei-{local-name()}"><xsl:value-of select="f:ms-computed(.)"/></span>
  </xsl:template>
  <xsl:template match="tei:msDesc//tei:note" mode="m:text" priority="4">
    <span class="tei-note ms-note"> (<xsl:apply-templates mode="m:text">
      <xsl:with-param name="inline" tunnel="yes" select="true()"/>
    </xsl:apply-templates>)</span>
  </xsl:template>
</xsl:stylesheet>
