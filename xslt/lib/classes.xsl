<?xml version="1.0" encoding="UTF-8"?>
<!--
  The element classes of tei-classes.xml as variables ($c:citable, $c:not-rendered …), read when
  the stylesheet compiles: static variables, so no transform reads a file (Saxon may read none by
  then) and each is a constant. toolkit/tei/classes.py reads the same file for Python.

  $classes-href: where the data file is. Its default is the file beside this module; the toolkit
  passes the file's content as a data: URI when it compiles a stylesheet after Saxon's file access
  is off (toolkit/saxon.py).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:param name="classes-href" static="yes" as="xs:string" select="'tei-classes.xml'"/>
  <xsl:variable name="c:data" static="yes" as="document-node()"
    select="doc($classes-href)"/>

  <xsl:variable name="c:citable" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'citable']))"/>
  <xsl:variable name="c:passage" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'passage']))"/>
  <xsl:variable name="c:header-passage" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'header-passage']))"/>
  <xsl:variable name="c:no-anchor" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'no-anchor']))"/>
  <xsl:variable name="c:not-rendered" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'not-rendered']))"/>
  <xsl:variable name="c:reading-skip" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'reading-skip']))"/>
  <xsl:variable name="c:word-break" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'word-break']))"/>
  <xsl:variable name="c:block-break" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'block-break']))"/>
  <xsl:variable name="c:target-as-text" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'target-as-text']))"/>
  <xsl:variable name="c:pointer-attributes" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'pointer-attributes']))"/>
  <xsl:variable name="c:name-elements" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'name-elements']))"/>
  <xsl:variable name="c:entity-kinds" static="yes" as="map(xs:string, xs:string)"
    select="map:merge($c:data/classes/map[@name = 'entity-kinds']/entry ! map{string(@key): string(.)})"/>
  <xsl:variable name="c:register-lists" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'register-lists']))"/>
  <xsl:variable name="c:authority-lists" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'authority-lists']))"/>
  <xsl:variable name="c:marginal-types" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'marginal-types']))"/>
  <xsl:variable name="c:marginal-places" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'marginal-places']))"/>
  <xsl:variable name="c:reserved-page-ids" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'reserved-page-ids']))"/>
  <xsl:variable name="c:iso639-1" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'iso639-1']))"/>
  <xsl:variable name="c:iso639-3to1" static="yes" as="map(xs:string, xs:string)"
    select="map:merge($c:data/classes/map[@name = 'iso639-3to1']/entry ! map{string(@key): string(.)})"/>
  <xsl:variable name="c:iso15924" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'iso15924']))"/>
  <xsl:variable name="c:iso3166" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'iso3166']))"/>
  <xsl:variable name="c:rtl-scripts" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'rtl-scripts']))"/>
  <xsl:variable name="c:rtl-languages" static="yes" as="xs:string+"
    select="tokenize(normalize-space($c:data/classes/class[@name = 'rtl-languages']))"/>
  <xsl:variable name="c:char-classes" static="yes" as="map(xs:string, xs:string)"
    select="map:merge($c:data/classes/map[@name = 'char-classes']/entry ! map{string(@key): string(.)})"/>
  <xsl:variable name="c:language-names" static="yes" as="map(xs:string, xs:string)"
    select="map:merge($c:data/classes/map[@name = 'language-names']/entry ! map{string(@key): string(.)})"/>
</xsl:stylesheet>
