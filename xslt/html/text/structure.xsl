<?xml version="1.0" encoding="UTF-8"?>
<!--
  Structure: divisions, headings, paragraphs, lists, tables, verse, drama, letters' openers and
  closers, figures. Every template respects the tunnel parameter $inline: inside an HTML phrasing
  element (p, h*, span) a block becomes a <span> styled as a block, so any TEI nesting gives
  valid HTML5.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <!-- A block element: $name when allowed here, else a span marked "as-block". -->
  <xsl:template name="fp:block">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="class" as="xs:string" select="''"/>
    <xsl:param name="inline-content" as="xs:boolean" select="false()"/>
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else $name}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join((concat('tei-', local-name()), $class,
          if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="m:text">
        <xsl:with-param name="inline" tunnel="yes" select="$inline or $inline-content"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- id, lang, rendition classes: attributes every rendered element may carry. -->
  <xsl:template name="fp:common-attributes">
    <xsl:param name="class" as="xs:string" select="concat('tei-', local-name())"/>
    <xsl:variable name="id" select="f:cite-id(.)"/>
    <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
    <xsl:call-template name="fp:lang-attributes"/>
    <xsl:attribute name="class" select="normalize-space(string-join(($class, fp:rend-classes(.)), ' '))"/>
  </xsl:template>

  <xsl:function name="fp:rend-classes" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:for-each select="tokenize(normalize-space(string($e/@rend)), ' ')[. != '']">
      <xsl:sequence select="concat('rend-', f:slug(.))"/>
    </xsl:for-each>
    <xsl:if test="$e/@type"><xsl:sequence select="concat('type-', f:slug($e/@type))"/></xsl:if>
  </xsl:function>

  <xsl:function name="fp:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:sequence select="min((6, 3 + count($head/ancestor::tei:*[self::tei:div or starts-with(local-name(), 'div')]
      [tei:head][not(. is $head/..)]) + count($head/ancestor::tei:floatingText)))"/>
  </xsl:function>

  <xsl:template match="tei:text" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline"><xsl:call-template name="fp:block"><xsl:with-param name="name" select="'div'"/></xsl:call-template></xsl:when>
      <xsl:otherwise><xsl:apply-templates mode="m:text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The back of the document's text (the letters' lists of the persons and places they
       name, appendices …) is not part of the text: document.xsl renders it in its own section
       ("Back matter") after the text, with $back-matter set. -->
  <xsl:template match="tei:text[not(ancestor::tei:text)]/tei:back" mode="m:text" priority="1">
    <xsl:param name="back-matter" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:if test="$back-matter">
      <xsl:call-template name="fp:block">
        <xsl:with-param name="name" select="'div'"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group | tei:floatingText" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="if (tei:head) then 'section' else 'div'"/>
      <xsl:with-param name="class" select="'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:head" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="parent::tei:list or parent::tei:table or parent::tei:figure or parent::tei:lg or parent::tei:listPerson
                      or parent::tei:listPlace or parent::tei:listOrg or parent::tei:listBibl">
        <xsl:call-template name="fp:block">
          <xsl:with-param name="name" select="'p'"/>
          <xsl:with-param name="inline-content" select="true()"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="fp:block">
          <xsl:with-param name="name" select="concat('h', fp:heading-level(.))"/>
          <xsl:with-param name="inline-content" select="true()"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:salute | tei:dateline | tei:byline | tei:docAuthor | tei:docDate
                       | tei:trailer | tei:argument/tei:p | tei:epigraph/tei:p | tei:signed | tei:label[not(parent::tei:list)]"
                mode="m:text" priority="0">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'p'"/>
      <xsl:with-param name="inline-content" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- segs that are lines of a letterhead or of an opener/closer: one block each (else
       "Dr. Paul Goldmann" and "Correspondant …" run together); a trailing space keeps the words
       apart for search and copied text. -->
  <xsl:template match="tei:opener/tei:seg | tei:closer/tei:seg | tei:seg[@type = 'letterhead']
                       | tei:*[@type = 'letterhead']/tei:seg" mode="m:text" priority="0.5">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'p'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join(('tei-seg', 'seg-line', if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
      <xsl:text> </xsl:text>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph | tei:address
                       | tei:titlePage | tei:docTitle | tei:docImprint | tei:sp | tei:castList | tei:spGrp" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:addrLine | tei:titlePart
                       | tei:castItem | tei:role | tei:roleDesc" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'p'"/>
      <xsl:with-param name="inline-content" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote[not(ancestor::tei:p or ancestor::tei:l or ancestor::tei:ab or ancestor::tei:head
                       or ancestor::tei:item or ancestor::tei:note)] | tei:cit[not(ancestor::tei:p or ancestor::tei:ab)]" mode="m:text">
    <xsl:call-template name="fp:block">
      <xsl:with-param name="name" select="'blockquote'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote | tei:cit" mode="m:text" priority="-1">
    <span class="tei-{local-name()}">
      <xsl:variable name="id" select="f:cite-id(.)"/>
      <xsl:if test="exists($id)"><xsl:attribute name="id" select="$id"/></xsl:if>
      <xsl:call-template name="fp:lang-attributes"/>
      <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- Bibliographic phrases (a bibl and its parts): inline where they stand in phrasing
       content (inside a p, a note, or beside text), so a note's reference and the sentence that
       follows it stay one sentence; a bibl standing alone among blocks stays a block (fallback). -->
  <xsl:template match="tei:bibl | tei:author | tei:editor | tei:biblScope | tei:publisher | tei:pubPlace
                       | tei:edition | tei:series | tei:respStmt | tei:resp | tei:extent | tei:citedRange" mode="m:text" priority="-2">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline or parent::tei:note or parent::*/text()[normalize-space()]">
        <span>
          <xsl:call-template name="fp:common-attributes"/>
          <xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates>
        </span>
      </xsl:when>
      <xsl:otherwise><xsl:next-match/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Registers in the back matter (the letters' lists of the persons, places, works they name)
       are the document's authority data (toolkit/tei/registers.py): the model makes entities of
       their persons, places and organisations, whose pages and popovers hold what the entries
       say. Here a register is one line of its entries' names ("Persons named: A, B"), each
       linked to its entity page, each keeping its id (names of the text that point to an entry
       without an entity page link to it); kept out of the search index, which would otherwise
       find every place in every letter's list. Back matter prose (appendices) stays searchable. -->
  <xsl:template match="tei:back//tei:*[local-name() = $c:register-lists][not(ancestor::tei:*[local-name() = $c:register-lists])]" mode="m:text" priority="3">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:variable name="entries" select="*[not(self::tei:head)][normalize-space() or @xml:id]"/>
    <xsl:if test="exists($entries)">
      <xsl:element name="{if ($inline) then 'span' else 'p'}">
        <xsl:attribute name="class" select="string-join(('register', concat('register-', local-name()), if ($inline) then 'as-block' else ()), ' ')"/>
        <xsl:attribute name="data-pagefind-ignore" select="''"/>
        <span class="register-label"><xsl:value-of select="(normalize-space(tei:head[1])[. != ''], f:register-label(local-name()))[1]"/>: </span>
        <xsl:for-each select="$entries">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:variable name="ent" select="if (@xml:id) then f:entity(concat('#', @xml:id), .) else ()"/>
          <xsl:variable name="name" select="(f:preferred-name($ent), f:register-entry-name(.))[normalize-space()][1]"/>
          <!-- the entry's own name keeps its xml:lang (not the name of an authority file's entry) -->
          <xsl:variable name="lang" select="if ($name = f:register-entry-name(.)) then f:lang(f:register-name-element(.)/@xml:lang) else ()"/>
          <xsl:element name="{if (exists(f:entity-href($ent))) then 'a' else 'span'}">
            <xsl:if test="exists(f:entity-href($ent))"><xsl:attribute name="href" select="f:entity-href($ent)"/></xsl:if>
            <xsl:if test="@xml:id"><xsl:attribute name="id" select="f:html-id(@xml:id)"/></xsl:if>
            <xsl:if test="exists($lang)"><xsl:attribute name="lang" select="$lang"/></xsl:if>
            <xsl:attribute name="class" select="string-join(('register-entry', $ent/@kind ! concat('entity-', .)), ' ')"/>
            <xsl:value-of select="$name"/>
          </xsl:element>
        </xsl:for-each>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:lg" mode="m:text">
    <xsl:call-template name="fp:block"><xsl:with-param name="name" select="'div'"/></xsl:call-template>
  </xsl:template>

  <!-- Lists: items keep the numbers and letters the text prints; none are generated. -->
  <xsl:template match="tei:list | tei:listBibl | tei:listPerson | tei:listPlace | tei:listOrg | tei:listEvent" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:apply-templates select="tei:head" mode="m:text"/>
    <xsl:choose>
      <xsl:when test="tei:label and not($inline)">
        <dl>
          <xsl:call-template name="fp:common-attributes"/>
          <xsl:for-each select="* except tei:head">
            <xsl:element name="{if (self::tei:label) then 'dt' else 'dd'}">
              <xsl:attribute name="class" select="concat('tei-', local-name())"/>
              <xsl:apply-templates mode="m:text">
                <xsl:with-param name="inline" tunnel="yes" select="false()"/>
              </xsl:apply-templates>
            </xsl:element>
          </xsl:for-each>
        </dl>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if ($inline) then 'span' else 'ul'}">
          <xsl:call-template name="fp:common-attributes">
            <xsl:with-param name="class" select="string-join((concat('tei-', local-name()), 'plain-list', if ($inline) then 'as-block' else ()), ' ')"/>
          </xsl:call-template>
          <xsl:for-each select="node() except tei:head">
            <xsl:choose>
              <xsl:when test="$inline or self::tei:item or self::text()
                              or (self::tei:person | self::tei:personGrp)[parent::tei:listPerson] or self::tei:place[parent::tei:listPlace]
                              or self::tei:org[parent::tei:listOrg] or self::tei:bibl[parent::tei:listBibl] or self::tei:event[parent::tei:listEvent]">
                <xsl:apply-templates select="." mode="m:text"/>
              </xsl:when>
              <xsl:when test="self::*"><li class="list-other"><xsl:apply-templates select="." mode="m:text"/></li></xsl:when>
            </xsl:choose>
          </xsl:for-each>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:item | tei:person[parent::tei:listPerson] | tei:personGrp[parent::tei:listPerson] | tei:place[parent::tei:listPlace]
                       | tei:org[parent::tei:listOrg] | tei:bibl[parent::tei:listBibl] | tei:event[parent::tei:listEvent]" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else 'li'}">
      <xsl:call-template name="fp:common-attributes">
        <xsl:with-param name="class" select="string-join((concat('tei-', local-name()), if ($inline) then 'as-block' else ()), ' ')"/>
      </xsl:call-template>
      <xsl:apply-templates mode="m:text"/>
    </xsl:element>
  </xsl:template>

  <!-- text nodes directly inside a list (between items) would be invalid in <ul> -->
  <xsl:template match="tei:list/text()" mode="m:text">
    <xsl:if test="normalize-space()"><xsl:value-of select="."/></xsl:if>
  </xsl:template>
  <xsl:template match="tei:list/text()[normalize-space()]" mode="m:text" priority="1">
    <li class="list-text"><xsl:value-of select="."/></li>
  </xsl:template>

  <xsl:template match="tei:table" mode="m:text">
    <xsl:param name="inline" tunnel="yes" as="xs:boolean" select="false()"/>
    <xsl:choose>
      <xsl:when test="$inline">
        <xsl:call-template name="fp:block"><xsl:with-param name="name" select="'span'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <div class="table-wrap">
          <table>
            <xsl:call-template name="fp:common-attributes"/>
            <xsl:if test="tei:head">
              <caption><xsl:apply-templates select="tei:head/node()" mode="m:text">
                <xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></caption>
            </xsl:if>
            <tbody>
              <xsl:for-each select="tei:row">
                <tr>
                  <xsl:for-each select="tei:cell">
                    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
                      <xsl:if test="@cols castable as xs:integer and xs:integer(@cols) gt 1"><xsl:attribute name="colspan" select="xs:integer(@cols)"/></xsl:if>
                      <xsl:if test="@rows castable as xs:integer and xs:integer(@rows) gt 1"><xsl:attribute name="rowspan" select="xs:integer(@rows)"/></xsl:if>
                      <xsl:apply-templates mode="m:text"/>
                    </xsl:element>
                  </xsl:for-each>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </div>
        <xsl:apply-templates select="* except (tei:head, tei:row)" mode="m:text"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:row" mode="m:text">
    <xsl:call-template name="fp:block"><xsl:with-param name="name" select="'span'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:cell" mode="m:text">
    <span class="tei-cell"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><xsl:text> </xsl:text></span>
  </xsl:template>

  <!-- Figures: the description is shown; a graphic is linked (never loaded from elsewhere),
       except a local image the build copied into the site (toolkit/build/html.py, media_of):
       the document's context element lists those as <media src="@url" base="xml:bases"
       href="media/…"/>, and that copy is shown as an image. An <img> never runs the scripts
       an SVG may hold; the copy is never linked. -->
  <xsl:template match="tei:figure" mode="m:text">
    <xsl:call-template name="fp:block"><xsl:with-param name="name" select="'figure'"/></xsl:call-template>
  </xsl:template>
  <xsl:template match="tei:figDesc" mode="m:text">
    <span class="tei-figDesc"><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></span>
  </xsl:template>
  <xsl:template match="tei:graphic | tei:media" mode="m:text">
    <xsl:param name="page-root" tunnel="yes" as="xs:string?" select="()"/>
    <xsl:variable name="url" select="f:safe-url(@url)"/>
    <xsl:variable name="bases" select="string-join(ancestor-or-self::*/@xml:base, ' ')"/>
    <xsl:variable name="copy" select="if (exists(@url)) then f:document(.)/media[@src = current()/@url and string(@base) = $bases][1] else ()"/>
    <xsl:choose>
      <xsl:when test="exists($copy)">
        <xsl:variable name="desc" select="normalize-space(string-join((tei:desc, parent::tei:figure/tei:figDesc)[1]//text()[not(ancestor::tei:note)], ''))"/>
        <img class="tei-graphic" src="{($page-root, $root)[1]}{$copy/@href}" loading="lazy" decoding="async"
             alt="{if ($desc) then $desc else concat('image: ', tokenize($url, '/')[last()])}"/>
      </xsl:when>
      <xsl:when test="exists($url)"><a class="tei-graphic" href="{$url}">[<xsl:value-of select="f:msg('image.label')"/><xsl:text> </xsl:text><xsl:value-of select="tokenize($url, '/')[last()]"/>]</a></xsl:when>
      <xsl:otherwise><span class="tei-graphic">[<xsl:value-of select="f:msg('image.bare')"/>]</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Source-description elements met inside a text (letters' <back> lists) stay readable. -->
  <xsl:template match="tei:text//tei:persName[parent::tei:person] | tei:text//tei:placeName[parent::tei:place]
                       | tei:text//tei:orgName[parent::tei:org]" mode="m:text" priority="2">
    <span class="tei-{local-name()} entry-name"><xsl:call-template name="fp:lang-attributes"/><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates><xsl:text> </xsl:text></span>
  </xsl:template>
</xsl:stylesheet>
